import { MemoryEngine } from '../../src/engine/memory.js';
import { engineContract } from './contract.js';

engineContract('memory', {
  async open(options) {
    const engine = new MemoryEngine(options);
    return { a: engine, b: engine, close: () => engine.close() };
  },
});
