// What every use case needs: the store and a clock (injected so tests can move time).
import type { Store } from '../store/store.js';

export type Clock = () => Date;

export interface ServiceDeps {
  store: Store;
  clock: Clock;
}
