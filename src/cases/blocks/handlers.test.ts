import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../../sop/blocks/index.ts';
import { REGISTRY_EFFECTS } from '../../sop/blocks/registry.ts';
import { allCurrentSops } from '../../sop/catalogue.ts';
import { BLOCK_HANDLERS } from './index.ts';
import { REGISTRY_EFFECT_HANDLERS } from './registry.ts';

// Every action a block can build has its database side, found by block and action name.

describe('block handlers', () => {
  it('exist for every block, and for every action of every built-in SOP', () => {
    expect(Object.keys(BLOCK_HANDLERS).sort()).toEqual(Object.keys(BLOCKS).sort());
    for (const [key, block] of Object.entries(BLOCKS)) {
      expect(block.actionNames?.length, key).toBeGreaterThan(0);
      for (const name of block.actionNames ?? []) {
        expect(typeof BLOCK_HANDLERS[key]?.[name], `${key}.${name}`).toBe('function');
      }
    }
    for (const sop of allCurrentSops()) {
      for (const a of sop.actions) {
        expect(typeof BLOCK_HANDLERS[a.block]?.[a.name], `${sop.key} ${a.key} (${a.block}.${a.name})`).toBe(
          'function',
        );
      }
    }
  });

  it('exist for every registry effect', () => {
    expect(Object.keys(REGISTRY_EFFECT_HANDLERS).sort()).toEqual(Object.keys(REGISTRY_EFFECTS).sort());
  });
});
