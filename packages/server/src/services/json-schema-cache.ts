// The compiled schemas of event types in use, least recently used dropped first, so memory does not grow with history.
import { LRUCache } from 'lru-cache';
import { buildDataValidator, type DataValidator } from './json-schema.js';
import type { SchemaObject } from './json-schema-walk.js';

export class DataValidatorCache {
  private readonly validators: LRUCache<string, DataValidator>;

  /**
   * At most `maxValidators` compiled schemas. Each holds its own Ajv and generated code: about 10 KB for a schema of
   * a few properties, up to about 1 MB for one at the 64 KiB limit.
   */
  constructor(readonly maxValidators: number) {
    this.validators = new LRUCache({ max: maxValidators });
  }

  /** The validator of the schema known by `key` (which must change when the schema does), compiled on first use. */
  validatorFor(key: string, schema: SchemaObject): DataValidator {
    let validator = this.validators.get(key);
    if (!validator) {
      const built = buildDataValidator(schema);
      // A schema stored before hookd refused its kind (an $async one, a backtracking pattern) checks nothing.
      const abandoned = 'refusal' in built ? `the schema ${built.refusal.message}` : '';
      validator = 'validator' in built ? built.validator : () => ({ abandoned });
      this.validators.set(key, validator);
    }
    return validator;
  }

  /** How many compiled validators are held. */
  get size(): number {
    return this.validators.size;
  }
}
