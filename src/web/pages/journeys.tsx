import { Empty } from '../components/states.tsx';

/** Journeys page (to be built). */
export default function JourneysPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Journeys</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
