import { signal } from '@preact/signals';

/** What a plan unlocks; the license file lists these. */
export type Feature = 'image-swap' | 'neural-engine' | 'video' | 'gif' | 'live-camera' | 'batch-cli';

/** The current plan's name and entitlements, set from the verified license file (Free without one). */
export const plan = signal<{ name: 'free' | 'trial' | 'pro'; entitlements: readonly string[] }>({
  name: 'free',
  entitlements: ['image-swap'],
});

/** Each feature as the subject of "… need(s) the free trial or Pro", with its verb agreeing. */
const featureNeeds: Record<Feature, string> = {
  'image-swap': 'Image swaps need',
  'neural-engine': 'The neural engine needs',
  video: 'Video swaps need',
  gif: 'GIF swaps need',
  'live-camera': 'The live camera needs',
  'batch-cli': 'The batch command line needs',
};

export function entitled(feature: Feature): boolean {
  return plan.value.entitlements.includes(feature);
}

/** One line saying why a feature is locked, or null when the plan includes it. */
export function lockReason(feature: Feature): string | null {
  if (entitled(feature)) return null;
  return `${featureNeeds[feature]} the free trial or Pro; the Free plan swaps photos with the built-in engine.`;
}
