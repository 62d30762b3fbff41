import { Empty } from '../components/states.tsx';

/** Retention page (to be built). */
export default function RetentionPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Retention</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
