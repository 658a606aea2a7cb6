/**
 * Binding analysis: relations between topic binding keys and lints over a whole topology. Pure,
 * like the rest of the core; every claim is proven with the core's own matchers.
 */

export { topicCovers, topicOverlap, type TopicCoverage } from './topic-relations';
export {
  analyzeTopology,
  type AnalysisOptions,
  type Finding,
  type FindingFamily,
  type FindingSeverity,
  type TopologyBinding,
  type TopologyConsumer,
  type TopologyExchange,
  type TopologyInput,
  type TopologyPublisher,
  type TopologyQueue,
} from './lints';
