import { computed } from '@preact/signals';
import { moreSourcesLoading } from '../state/more-sources';
import { source, target } from '../state/photos';
import { downloading, swapProgress } from '../state/swap';
import { jobProgress } from '../video/video-job';

/** True while a job runs (a photo being analysed, a swap, a video job, an export): the page must not reload then. */
export const busy = computed(
  () =>
    source.loading.value !== null ||
    target.loading.value !== null ||
    moreSourcesLoading.value !== null ||
    swapProgress.value !== null ||
    jobProgress.value !== null ||
    downloading.value,
);
