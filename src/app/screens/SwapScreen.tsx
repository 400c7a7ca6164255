import { useEffect } from 'preact/hooks';
import { EngineChoice } from '../components/EngineChoice';
import { FaceChoicePanel } from '../components/FaceChoicePanel';
import { LockNote } from '../components/FeatureLock';
import { MaskOverlay } from '../components/MaskOverlay';
import { MoreSources } from '../components/MoreSources';
import { NeuralSwapOptions } from '../components/NeuralSwapOptions';
import { PhotoPanel } from '../components/PhotoPanel';
import { ResultView } from '../components/ResultView';
import { StartExample } from '../components/StartExample';
import { SwapControls } from '../components/SwapControls';
import { SwapOptions } from '../components/SwapOptions';
import { importedModels } from '../models/ImportModels';
import { activeEngine, refreshNeuralStatus } from '../state/neural';
import { slotFaces, swapChoice } from '../state/face-choice';
import { source, target } from '../state/photos';
import { currentScreen } from './navigation';

/** The Swap screen: two photos in, one swapped photo out, by the built-in or the neural engine. */
export function SwapScreen() {
  const shown = currentScreen.value === 'swap';
  const imported = importedModels.value;
  // Which neural models are installed, read again when the screen is shown or imports change.
  useEffect(() => {
    if (shown) void refreshNeuralStatus();
  }, [shown, imported]);
  return (
    <>
      <StartExample />
      <div class="inputs">
        <PhotoPanel slot={source} title="Source photo" purpose="The face to use.">
          <MoreSources />
        </PhotoPanel>
        <PhotoPanel slot={target} title="Target photo" purpose="The photo whose faces are replaced.">
          <MaskOverlay />
        </PhotoPanel>
      </div>
      <FaceChoicePanel
        choice={swapChoice}
        chosenLabel="The target faces chosen above"
        references={[...slotFaces(target), ...slotFaces(source)]}
        targets={slotFaces(target)}
      />
      <section class="swap-bar action-bar" aria-label="Swap">
        <EngineChoice />
        {activeEngine.value === 'neural' ? <NeuralSwapOptions /> : <SwapOptions />}
        {(target.photo.value?.frames ?? 1) > 1 && <LockNote feature="gif" />}
        <SwapControls />
      </section>
      <ResultView />
    </>
  );
}
