import { Empty } from '../components/states.tsx';

/** Attribution page (to be built). */
export default function AttributionPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Attribution</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
