// The compiled schemas of event types in use, least recently used dropped first, so memory does not grow with history.
import { LRUCache } from 'lru-cache';
import { buildDataValidator, type DataValidator } from './json-schema.js';
import type { SchemaObject } from './json-schema-walk.js';

const SCHEMA_BYTES_HELD = 16 * 1024 * 1024;

export class DataValidatorCache {
  private readonly validators: LRUCache<string, DataValidator>;

  /**
   * At most `maxValidators` compiled schemas, whose JSON adds up to at most 16 MiB. A validator holds its own Ajv,
   * about 35 KB even for a schema of two properties, and code that grows with the schema (440 KB for 999 properties
   * in 40 KB of JSON, 11 bytes a byte): with the default 1,000, at most about 35 MB + 11 × 16 MiB, some 210 MB.
   */
  constructor(readonly maxValidators: number) {
    this.validators = new LRUCache({ max: maxValidators, maxSize: SCHEMA_BYTES_HELD });
  }

  /** The validator of the schema known by `key` (which must change when the schema does), compiled on first use. */
  validatorFor(key: string, schema: SchemaObject): DataValidator {
    let validator = this.validators.get(key);
    if (!validator) {
      const built = buildDataValidator(schema);
      // A schema stored before hookd refused its kind (an $async one, a backtracking pattern) checks nothing.
      const abandoned = 'refusal' in built ? `the schema ${built.refusal.message}` : '';
      validator = 'validator' in built ? built.validator : () => ({ abandoned });
      this.validators.set(key, validator, { size: JSON.stringify(schema).length });
    }
    return validator;
  }

  /** How many compiled validators are held. */
  get size(): number {
    return this.validators.size;
  }
}
