import { Empty } from '../components/states.tsx';

/** Overview page (to be built). */
export default function OverviewPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Overview</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
