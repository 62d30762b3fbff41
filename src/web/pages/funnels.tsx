import { Empty } from '../components/states.tsx';

/** Funnels page (to be built). */
export default function FunnelsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Funnels</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
