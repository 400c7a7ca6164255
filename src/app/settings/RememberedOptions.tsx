import { appSettings, resetAppSettings, videoQualityOf, type Preset } from '../state/app-settings';
import { resetSwapSettings, swapSettings } from '../state/settings';
import { jobProgress, outputQuality } from '../video/video-job';

const presetNames: Record<Preset, string> = { speed: 'Speed', balanced: 'Balanced', quality: 'Quality' };
const backendNames = { auto: 'Automatic', webgpu: 'Graphics card (WebGPU)', wasm: 'Processor (WebAssembly)' };
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Every option Doppel remembers across visits, as it is now, and "Reset to defaults". */
export function RememberedOptions() {
  const swap = swapSettings.value;
  const app = appSettings.value;
  const rows: [string, string, string][] = [
    [
      'engine',
      'Engine (Swap screen, also GIF, Video and Live)',
      swap.engine === 'neural' ? 'Neural' : 'Built-in',
    ],
    ['strength', 'Blend strength (built-in engine)', `${swap.strength}%`],
    ['keep-mouth', "Keep target's mouth", yesNo(swap.keepMouth)],
    ['keep-eyes', "Keep target's eyes", yesNo(swap.keepEyes)],
    ['keep-hands', 'Keep hands in front of faces', yesNo(swap.keepHands)],
    ['pixel-boost', 'Pixel boost (neural engine)', `${swap.neural.pixelBoost} px`],
    ['restore', 'Face restoration (neural engine)', `${Math.round(swap.neural.restore * 100)}%`],
    ['masks', 'Masks (neural engine)', ['box', ...swap.neural.masks].join(' + ')],
    ['backend', 'Where the face models run', backendNames[app.backend]],
    ['video', 'Video preset', presetNames[app.video]],
    ['live', 'Live preset', presetNames[app.live]],
    ['threads', 'Processor threads', app.threads === 'auto' ? 'Automatic' : String(app.threads)],
  ];
  const reset = () => {
    resetSwapSettings();
    resetAppSettings();
    if (!jobProgress.value) outputQuality.value = videoQualityOf[appSettings.value.video];
  };
  return (
    <section class="settings-part" aria-labelledby="remembered-title" data-testid="remembered">
      <h3 id="remembered-title">Remembered options</h3>
      <p class="hint">
        Doppel keeps these in this browser across visits (History keeps its own settings on its screen).
      </p>
      <dl class="remembered">
        {rows.map(([id, label, value]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-setting={id}>{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="secondary" onClick={reset} data-testid="reset-defaults">
        Reset to defaults
      </button>
    </section>
  );
}
