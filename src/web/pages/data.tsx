import { Empty } from '../components/states.tsx';

/** Data page (to be built). */
export default function DataPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Data</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
