import { PhotoPanel } from '../components/PhotoPanel';
import { ResultView } from '../components/ResultView';
import { SwapControls } from '../components/SwapControls';
import { SwapOptions } from '../components/SwapOptions';
import { source, target } from '../state/photos';

/** The Swap screen: two photos in, one swapped photo out. */
export function SwapScreen() {
  return (
    <>
      <div class="inputs">
        <PhotoPanel slot={source} title="Source photo" purpose="The face to use." />
        <PhotoPanel slot={target} title="Target photo" purpose="The photo whose faces are replaced." />
      </div>
      <section class="swap-bar" aria-label="Swap">
        <SwapOptions />
        <SwapControls />
      </section>
      <ResultView />
    </>
  );
}
