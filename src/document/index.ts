/**
 * The document model of the canvas: the diagram (types.ts), its one editing gateway with
 * undo/redo, the actions it applies, and what the broker and its clients derive from it.
 * Free of Svelte, the DOM and the broker's runtime.
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
export { nameProblem, uniqueName, defaultName, namesOfKind, isServerNamed, withServerNames, utf8Length, MAX_NAME_BYTES } from './names';
export * from './actions';
export { action, done, refuse } from './result';
export { createGateway, DEFAULT_HISTORY_LIMIT, type Gateway, type GatewayOptions, type ApplyOptions, type Change, type Listener } from './gateway';
export * from './topology';
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
export { pinExercise, unpinExercise, exerciseProblem, exercisesProblem, MAX_EXERCISES } from './exercises';
export type { LoadResult, LoadOptions } from './load';
export type { ImportReport, ImportResult, ImportOptions, ExportOptions, ExportResult, Definitions, DefinitionExchange, DefinitionQueue, DefinitionBinding } from './definitions';
