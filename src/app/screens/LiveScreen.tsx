import { effect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { FaceChoicePanel } from '../components/FaceChoicePanel';
import { FeatureLock } from '../components/FeatureLock';
import { SourceFace } from '../components/SourceFace';
import { listCameras } from '../live/camera';
import {
  cameraId,
  cameras,
  chooseCamera,
  lastRecording,
  liveError,
  livePhase,
  liveFaces,
  liveMapping,
  liveSource,
  mirror,
  poppedOut,
  recording,
  setMirror,
  startLive,
  stopLive,
  stopWhenHidden,
  togglePopOut,
  toggleRecording,
} from '../live/live-state';
import { LiveFiguresView } from '../live/LiveFiguresView';
import { RecordingIndicator } from '../live/RecordingIndicator';
import { canPopOut } from '../live/pop-out';
import { liveChoice, slotFaces } from '../state/face-choice';
import { source } from '../state/photos';
import { currentScreen } from './navigation';

function refreshCameras(): void {
  listCameras().then(
    (list) => (cameras.value = list),
    () => undefined,
  );
}

/**
 * The live camera: each camera frame is swapped in the engine worker with the Swap screen's source
 * face and drawn as soon as it comes back; recordable, and poppable into an always-on-top window.
 * The camera stops when another screen is shown (screens stay mounted, hidden) or the page is hidden;
 * the last recording stays downloadable when the plan no longer includes the live camera.
 */
export function LiveScreen() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  useEffect(() => {
    navigator.mediaDevices?.addEventListener('devicechange', refreshCameras);
    const unlisten = stopWhenHidden();
    const leave = effect(() => {
      if (currentScreen.value === 'live') refreshCameras();
      else stopLive();
    });
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', refreshCameras);
      unlisten();
      leave();
      stopLive();
    };
  }, []);
  const phase = livePhase.value;
  const running = phase === 'running';
  const view = useRef<HTMLDivElement>(null);
  // Once frames flow, bring the controls, the picture and its figures into view together.
  useEffect(() => {
    if (running) view.current?.scrollIntoView({ block: 'nearest' });
  }, [running]);
  const popOutAvailable = canPopOut();
  return (
    <section class="live" aria-labelledby="live-title">
      <h2 id="live-title">Live camera</h2>
      <FeatureLock feature="live-camera">
        <SourceFace />
        <div class="live-view" ref={view}>
          <div class="live-controls">
            <label>
              Camera{' '}
              <select
                data-testid="camera-select"
                value={cameraId.value ?? ''}
                disabled={phase === 'starting'}
                onChange={(e) => void chooseCamera(e.currentTarget.value)}
              >
                {cameraId.value === null && <option value="">Default camera</option>}
                {cameras.value.map((camera) => (
                  <option key={camera.deviceId} value={camera.deviceId}>
                    {camera.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input
                type="checkbox"
                data-testid="mirror"
                checked={mirror.value}
                onChange={(e) => void setMirror(e.currentTarget.checked)}
              />{' '}
              Mirror
            </label>
            {running || phase === 'starting' ? (
              <button type="button" data-testid="live-stop" onClick={stopLive}>
                {phase === 'starting' ? 'Starting… (stop)' : 'Stop'}
              </button>
            ) : (
              <button
                type="button"
                class="primary"
                data-testid="live-start"
                disabled={!liveSource.value || liveMapping.value === null}
                onClick={() => canvas.current && void startLive(canvas.current)}
              >
                Start camera
              </button>
            )}
            <button type="button" data-testid="live-record" disabled={!running} onClick={toggleRecording}>
              {recording.value ? 'Stop recording' : 'Record'}
            </button>
            <RecordingIndicator />
            <button
              type="button"
              data-testid="live-pop-out"
              disabled={!running || !popOutAvailable}
              onClick={() => stage.current && void togglePopOut(stage.current)}
            >
              {poppedOut.value ? 'Bring back' : 'Pop out'}
            </button>
          </div>
          {!popOutAvailable && (
            <p class="hint" data-testid="pop-out-note">
              This browser has no Document Picture-in-Picture, so the view cannot pop out into its own window.
              To show it in a meeting, share this browser tab or window instead.
            </p>
          )}
          <ErrorMessage error={liveError.value} />
          <div class="live-output">
            <div class="live-stage">
              <div ref={stage}>
                <canvas
                  ref={canvas}
                  class="live-canvas"
                  data-testid="live-canvas"
                  role="img"
                  aria-label="The camera with the source face swapped in"
                />
              </div>
              {poppedOut.value && <p class="hint">Showing in the pop-out window.</p>}
              {!running && (
                <p class="hint">{phase === 'starting' ? 'Starting the camera…' : 'The camera is off.'}</p>
              )}
            </div>
            <LiveFiguresView />
          </div>
        </div>
        <FaceChoicePanel
          choice={liveChoice}
          chosenLabel="Every face in view"
          references={liveFaces.value}
          targets={slotFaces(source)}
        />
      </FeatureLock>
      {lastRecording.value && (
        <p data-testid="live-recording">
          <a href={lastRecording.value.url} download={lastRecording.value.name}>
            Download the recording ({lastRecording.value.name}, {Math.round(lastRecording.value.bytes / 1024)}{' '}
            KB)
          </a>
        </p>
      )}
    </section>
  );
}
