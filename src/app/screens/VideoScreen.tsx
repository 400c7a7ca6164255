import { FaceChoicePanel } from '../components/FaceChoicePanel';
import { FeatureLock } from '../components/FeatureLock';
import { slotFaces, videoChoice } from '../state/face-choice';
import { source } from '../state/photos';
import { SourceFace } from '../components/SourceFace';
import { ErrorMessage } from '../components/ErrorMessage';
import { FrameChooser } from '../video/FrameChooser';
import { VideoDrop } from '../video/VideoDrop';
import { VideoFacts } from '../video/VideoFacts';
import { VideoResult } from '../video/VideoResult';
import { VideoRun } from '../video/VideoRun';
import { frameFaces } from '../video/video-job';
import { openError } from '../video/video-input';

/**
 * The Video screen: the Swap screen's source face onto chosen faces in a video, tracked through a
 * trim range, streamed into a file on this device (OPFS) and saved from there. A finished video
 * stays playable and savable when the plan no longer includes video swaps.
 */
export function VideoScreen() {
  return (
    <>
      <FeatureLock feature="video">
        <SourceFace />
        <div class="inputs">
          <section class="panel" aria-labelledby="video-heading" data-testid="video-panel">
            <h2 id="video-heading">Video</h2>
            <p class="hint">The video whose faces are replaced. It stays on this device.</p>
            <VideoDrop />
            <ErrorMessage error={openError.value} />
            <VideoFacts />
          </section>
          <FrameChooser />
        </div>
        <FaceChoicePanel
          choice={videoChoice}
          chosenLabel="The faces chosen on the start frame"
          references={[...frameFaces.value, ...slotFaces(source)]}
          targets={frameFaces.value}
        />
        <VideoRun />
      </FeatureLock>
      <VideoResult />
    </>
  );
}
