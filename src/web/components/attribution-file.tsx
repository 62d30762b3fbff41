import type { ReactNode } from 'react';
import type { PathFileAttribution, PathUpload } from '../api/attribution.ts';
import { formatCount, formatInteger, formatMoney, formatPercent } from '../lib/format.ts';
import type { AttributionSettings } from './attribution-controls.tsx';
import { modelLabel } from './attribution-models.tsx';
import { Empty, ErrorState, Loading } from './states.tsx';
import { KpiTile } from './kpi-tile.tsx';

/** Said by the date range picker while a path file is shown (the page's toolbar note says more). */
export const RANGE_UNUSED_FOR_FILE = 'Not used for a path file';

function FileInput({ onPick }: { onPick: (file: File) => void }) {
  return (
    <label className="file-button">
      Attribute a path file…
      <input
        type="file"
        accept=".csv,text/csv"
        className="visually-hidden"
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Cleared so that choosing the same file again (after fixing it) sends it again.
          e.target.value = '';
          if (file) onPick(file);
        }}
      />
    </label>
  );
}

/**
 * The way in and out of a path file: the file input, and while a file's results are shown, which
 * file they come from and the way back to the store's data.
 */
export function PathFileBar({ upload, onPick, onBack }: { upload: PathUpload | null; onPick: (file: File) => void; onBack: () => void }) {
  if (!upload) {
    return (
      <div className="path-file-bar">
        <FileInput onPick={onPick} />
        <span className="help">
          Compare the models on your own paths, e.g. exported from another tool: a CSV file with <code>path,total_conversions,total_conversion_value,total_null</code>{' '}
          and steps separated by <code>&gt;</code>.
        </span>
      </div>
    );
  }
  return (
    <div className="path-file-bar active" role="region" aria-label="Path file">
      <p>
        Results for the path file <strong data-file-name="">{upload.file.name}</strong>: only its paths are attributed, nothing comes from the store.
      </p>
      <div className="path-file-actions">
        <button type="button" className="primary" onClick={onBack}>
          Back to the store’s data
        </button>
        <FileInput onPick={onPick} />
      </div>
    </div>
  );
}

function Skipped({ data }: { data: PathFileAttribution }) {
  if (data.skipped.length === 0) return null;
  return (
    <p className="note-box" data-note="skipped">
      {data.skipped.map((s) => `${modelLabel(s.model)} is left out: ${s.reason}.`).join(' ')}
    </p>
  );
}

/** The Markov chain's probability that a journey converts, when Markov is among the results. */
export function MarkovRateTile({ results }: { results: ReadonlyArray<{ model: string; conversionProbability: number | null }> }) {
  const markov = results.find((r) => r.model === 'markov');
  if (!markov) return null;
  return (
    <KpiTile label="Journeys that convert" name="markov-rate">
      {formatPercent(markov.conversionProbability, 2)}
    </KpiTile>
  );
}

/** The file's size: distinct paths, conversions, value, and the Markov chain's conversion rate. */
export function PathFileTotals({ data }: { data: PathFileAttribution }) {
  const overall = data.results[0];
  return (
    <>
      <div className="kpis" aria-label="Path file totals">
        <KpiTile label="Distinct paths" name="paths">
          {formatInteger(data.paths)}
        </KpiTile>
        {overall ? (
          <>
            <KpiTile label="Conversions" name="conversions">
              {formatCount(overall.totalConversions)}
            </KpiTile>
            <KpiTile label="Conversion value" name="value">
              {formatMoney(overall.totalValue, 'USD', { compact: true })}
            </KpiTile>
          </>
        ) : null}
        <MarkovRateTile results={data.results} />
      </div>
      <Skipped data={data} />
    </>
  );
}

/** Under the table: what a path file cannot tell. */
export function PathFileNotes({ settings }: { settings: AttributionSettings }) {
  return (
    <p className="help">
      {settings.models.includes('participation') ? 'Participation credits every channel of a path in full, so its column adds up to more than the conversions. ' : ''}
      A path file carries no spend, so cost per conversion and ROAS are left out.
    </p>
  );
}

/** Loading, the server's message for a bad file, nothing to show, or the file's results. */
export function PathFileState({
  upload,
  query,
  children,
}: {
  upload: PathUpload;
  query: { data: PathFileAttribution | undefined; error: unknown; isPending: boolean };
  children: (data: PathFileAttribution) => ReactNode;
}) {
  const name = upload.file.name;
  if (query.error) return <ErrorState title={`Could not attribute ${name}`} error={query.error} />;
  if (query.isPending || !query.data) return <Loading label={`Attributing the paths of ${name}…`} />;
  const data = query.data;
  if (data.results.length === 0) {
    return (
      <Empty title="No chosen model runs on a path file">
        <Skipped data={data} />
        Tick another model above.
      </Empty>
    );
  }
  return <>{children(data)}</>;
}
