import type { CompareModel } from '../api/attribution.ts';

interface ModelInfo {
  readonly label: string;
  /** One or two plain sentences: what the model credits and when it is the right lens. */
  readonly explain: string;
}

/** How each model in the comparison hands out credit (src/attribution/README.md has the maths). */
export const MODEL_INFO: Readonly<Record<CompareModel, ModelInfo>> = {
  first: {
    label: 'First touch',
    explain: 'The first touch of the journey (within the lookback window) gets all the credit. Shows which channels start journeys.',
  },
  last: {
    label: 'Last touch',
    explain: 'The last touch before the conversion gets all the credit. Shows which channels close.',
  },
  'last-non-direct': {
    label: 'Last non-direct',
    explain: 'Like last touch, but a Direct visit hands the credit back to the last non-direct touch before it (Direct keeps it only when the journey is all Direct).',
  },
  linear: {
    label: 'Linear',
    explain: 'Every touch gets an equal share; a channel touched three times gets three shares.',
  },
  participation: {
    label: 'Participation',
    explain: 'Every channel in the journey gets the full conversion, once. Credits overlap, so they add up to more than the conversions: read it as “conversions this channel took part in”.',
  },
  position: {
    label: 'Position-based (U)',
    explain: '40% to the first touch, 40% to the last and 20% shared by the touches in between. One touch takes it all; two touches split 50/50.',
  },
  'j-curve': {
    label: 'J-curve',
    explain: '20% first, 60% last and 20% shared in between: leans to the channels that close.',
  },
  'inverse-j': {
    label: 'Inverse J',
    explain: '60% first, 20% last and 20% shared in between: leans to the channels that open.',
  },
  'time-decay': {
    label: 'Time decay',
    explain: 'Touches nearer the conversion earn more: a touch’s weight halves for every half-life between it and the conversion.',
  },
  markov: {
    label: 'Markov',
    explain: 'Data-driven: a Markov chain fitted to converting and non-converting journeys; each channel is credited by its removal effect, the share of conversions lost if it were taken out. Order k remembers the last k steps.',
  },
  shapley: {
    label: 'Shapley',
    explain: 'Data-driven, from game theory: a channel earns its average extra contribution to conversions over every combination of channels it appears with (order in the journey is ignored).',
  },
};

/** The compared models, in the server's order (MODEL_INFO lists them so). */
export const COMPARE_MODELS = Object.keys(MODEL_INFO) as CompareModel[];

export const modelLabel = (model: string): string => MODEL_INFO[model as CompareModel]?.label ?? model;

/** Plain-language notes on every model, folded away until asked for. */
export function ModelExplanations() {
  return (
    <details className="panel model-notes">
      <summary>How each model assigns credit</summary>
      <dl>
        {COMPARE_MODELS.map((m) => (
          <div key={m}>
            <dt>{MODEL_INFO[m].label}</dt>
            <dd>{MODEL_INFO[m].explain}</dd>
          </div>
        ))}
      </dl>
      <p className="help">
        Every model shares the same journeys: a person’s touches since their previous conversion, inside the lookback window before the conversion.
        Journeys that did not convert (null paths) only change the Markov model, which learns from what fails as well as what converts.
      </p>
    </details>
  );
}
