import { expose } from 'comlink';
import { installErrorTransfer } from '../../shared/comlink-errors';
import { Engine } from './engine';

installErrorTransfer();
expose(new Engine());
