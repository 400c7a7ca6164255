import { expose } from 'comlink';
import { installErrorTransfer } from '../../shared/comlink-errors';
import { announceWorkerLife } from '../../shared/worker-life';
import { Engine } from './engine';

installErrorTransfer();
expose(new Engine());
announceWorkerLife(self);
