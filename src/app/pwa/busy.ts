import { computed } from '@preact/signals';
import { moreSourcesLoading } from '../state/more-sources';
import { source, target } from '../state/photos';
import { downloading, swapProgress } from '../state/swap';

/** True while a job runs (a photo being analysed, a swap, an export): the page must not reload then. */
export const busy = computed(
  () =>
    source.loading.value !== null ||
    target.loading.value !== null ||
    moreSourcesLoading.value !== null ||
    swapProgress.value !== null ||
    downloading.value,
);
