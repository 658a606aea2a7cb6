/**
 * The document model of the canvas: the diagram (types.ts), its one editing gateway with
 * undo/redo and the actions it applies. What the broker and its clients derive from it is in
 * topology.ts, imported directly by the worker (kept out of this index, so the page's first
 * script does not carry it). Free of Svelte, the DOM and the broker's runtime.
 */

export type * from './types';
export { BUILT_IN_EXCHANGES, builtInExchange, isBuiltInExchange, exchangeLabel, type BuiltInExchange } from './builtins';
export {
  emptyDiagram,
  newId,
  idAllocator,
  nodeById,
  bindingById,
  nodesOfKind,
  exchangeByName,
  queueByName,
  nodeIndex,
  defaultNode,
  makeNode,
  withBuiltInDeclaration,
  type IdKind,
  type NodeOfKind,
} from './diagram';
export { nameProblem, uniqueName, defaultName, namesOfKind, isServerNamed, withServerNames, DIRECT_REPLY_TO, utf8Length, MAX_NAME_BYTES } from './names';
export * from './actions';
export { action, done, refuse } from './result';
export { createGateway, DEFAULT_HISTORY_LIMIT, type Gateway, type GatewayOptions, type ApplyOptions, type Change, type Listener } from './gateway';
export {
  validateDiagram,
  nodeFieldsProblem,
  bindingProblem,
  bindProblem,
  publishProblem,
  consumeProblem,
  bindingIdentity,
  describeNode,
  EXCHANGE_TYPES,
  X_MATCH_RULES,
  type XMatchRule,
  FAILURE_ACTIONS,
  MAX_PREFETCH,
} from './validate';
export { canonicalJson, jsonEqual, cloneJson } from './json';
export { exerciseProblem, exercisesProblem, MAX_EXERCISES } from './exercises';
export type { LoadResult, LoadOptions } from './load';
export type { ImportReport, ImportResult, ImportOptions, ExportOptions, ExportResult, Definitions, DefinitionExchange, DefinitionQueue, DefinitionBinding } from './definitions';
