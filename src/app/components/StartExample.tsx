import { source, target } from '../state/photos';

/** Written by `npm run gallery -- --example public/examples/before-after.webp` (never by hand). */
const exampleUrl = `${import.meta.env.BASE_URL}examples/before-after.webp`;

/** Before any photo is chosen: one swap the built-in engine made, so a new user sees what Doppel does. */
export function StartExample() {
  if (source.photo.value || target.photo.value || source.pending.value || target.pending.value) return null;
  return (
    <figure class="start-example" data-testid="start-example">
      <img
        src={exampleUrl}
        width={512}
        height={256}
        alt="Example: a woman's face before (left) and after (right) Doppel swapped in another person's face; her hair, pose, expression and make-up stay."
      />
      <figcaption class="hint">
        An example made by the built-in engine, in this browser. Add a source and a target photo to make your
        own.
      </figcaption>
    </figure>
  );
}
