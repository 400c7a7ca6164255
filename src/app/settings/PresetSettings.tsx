import { appSettings, changeAppSettings, presets, videoQualityOf, type Preset } from '../state/app-settings';
import { jobProgress, outputQuality } from '../video/video-job';

const videoWords: Record<Preset, string> = {
  speed: 'Speed: low quality, the smallest file',
  balanced: 'Balanced: medium quality',
  quality: 'Quality: high quality, the largest file',
};

const liveWords: Record<Preset, string> = {
  speed: 'Speed: 640×360 from the camera, the most frames per second',
  balanced: 'Balanced: up to 1280×720',
  quality: 'Quality: up to 1920×1080, fewer frames per second',
};

/** Quality against speed for video output and the live camera. */
export function PresetSettings() {
  const { video, live } = appSettings.value;
  const chooseVideo = (preset: Preset) => {
    changeAppSettings({ video: preset });
    // The Video screen's quality follows, unless a video is being made with the old one.
    if (!jobProgress.value) outputQuality.value = videoQualityOf[preset];
  };
  return (
    <fieldset class="settings-part" data-testid="preset-settings">
      <legend>Quality and speed</legend>
      <label>
        Video{' '}
        <select
          value={video}
          onChange={(event) => chooseVideo(event.currentTarget.value as Preset)}
          data-testid="video-preset"
        >
          {presets.map((preset) => (
            <option key={preset} value={preset}>
              {videoWords[preset]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Live camera{' '}
        <select
          value={live}
          onChange={(event) => changeAppSettings({ live: event.currentTarget.value as Preset })}
          data-testid="live-preset"
        >
          {presets.map((preset) => (
            <option key={preset} value={preset}>
              {liveWords[preset]}
            </option>
          ))}
        </select>
      </label>
      <p class="hint">The live preset applies the next time the camera starts.</p>
    </fieldset>
  );
}
