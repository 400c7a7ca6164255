import { useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** The photo or GIF before the swap (an image URL). */
  beforeUrl: string;
  /** The swapped image: a bitmap (drawn on a canvas), or an image URL (an animated GIF plays). */
  after: ImageBitmap | string;
  width: number;
  height: number;
  /** What the two layers show, for screen readers. */
  beforeAlt?: string;
  afterAlt?: string;
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));

const keySteps: Record<string, (value: number) => number> = {
  ArrowLeft: (v) => v - 5,
  ArrowDown: (v) => v - 5,
  ArrowRight: (v) => v + 5,
  ArrowUp: (v) => v + 5,
  PageDown: (v) => v - 25,
  PageUp: (v) => v + 25,
  Home: () => 0,
  End: () => 100,
};

/** Before (left of the divider) and after (right of it), with a divider moved by pointer or keyboard. */
export function CompareSlider({
  beforeUrl,
  after,
  width,
  height,
  beforeAlt = 'Target photo before the swap',
  afterAlt = 'Result after the swap',
}: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(50);

  // Drawn before the browser paints, in the same commit as the result's text: a new result line
  // never shows beside the last picture (a test read that picture once, after the line had changed).
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element || typeof after === 'string') return;
    element.width = after.width;
    element.height = after.height;
    element.getContext('2d')?.drawImage(after, 0, 0);
  }, [after]);

  const moveTo = (clientX: number) => {
    const box = frame.current?.getBoundingClientRect();
    if (box && box.width > 0) setPosition(clamp(Math.round(((clientX - box.left) / box.width) * 100)));
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    frame.current?.setPointerCapture(event.pointerId);
    moveTo(event.clientX);
  };
  const onPointerMove = (event: PointerEvent) => {
    if (frame.current?.hasPointerCapture(event.pointerId)) moveTo(event.clientX);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = keySteps[event.key];
    if (!step) return;
    event.preventDefault();
    setPosition((value) => clamp(step(value)));
  };

  return (
    <div
      ref={frame}
      class="compare"
      style={{
        aspectRatio: `${width} / ${height}`,
        width: `min(100%, calc((100vh - 9rem) * ${width / height}))`,
      }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
    >
      <img class="compare-layer" src={beforeUrl} alt={beforeAlt} draggable={false} />
      {typeof after === 'string' ? (
        <img
          class="compare-layer"
          src={after}
          alt={afterAlt}
          style={{ clipPath: `inset(0 0 0 ${position}%)` }}
          draggable={false}
          data-testid="result-gif"
        />
      ) : (
        <canvas
          ref={canvas}
          class="compare-layer"
          style={{ clipPath: `inset(0 0 0 ${position}%)` }}
          role="img"
          aria-label={afterAlt}
          data-testid="result-canvas"
        />
      )}
      <span class="compare-tag compare-tag-before" aria-hidden="true">
        Before
      </span>
      <span class="compare-tag compare-tag-after" aria-hidden="true">
        After
      </span>
      <div
        class="compare-divider"
        style={{ left: `${position}%` }}
        role="slider"
        tabIndex={0}
        aria-label="Before and after divider"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={position}
        aria-valuetext={`${position}% before, ${100 - position}% after`}
        aria-orientation="horizontal"
        data-testid="compare-divider"
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
