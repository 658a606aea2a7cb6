/** The canvas's custom edge types, by the `type` flow.ts gives its edges. */
import type { EdgeTypes } from '@xyflow/svelte';
import BindingEdge from './BindingEdge.svelte';
import RelationEdge from './RelationEdge.svelte';

export const edgeTypes: EdgeTypes = {
  binding: BindingEdge,
  relation: RelationEdge,
};
