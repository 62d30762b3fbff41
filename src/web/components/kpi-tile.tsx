import type { ReactNode } from 'react';

/** A headline figure: its label, the value (`data-kpi` names it for tests and scripts) and an optional note under it. */
export function KpiTile({ label, name, children, note }: { label: ReactNode; name: string; children: ReactNode; note?: ReactNode }) {
  return (
    <div className="kpi">
      <div className="label">{label}</div>
      <div className="value" data-kpi={name}>
        {children}
      </div>
      {note === undefined ? null : <div className="muted">{note}</div>}
    </div>
  );
}
