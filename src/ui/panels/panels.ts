/**
 * The inspector's panels, loaded as their own chunk: the first render shows no selection, so the
 * page starts without them and fetches them right after (Inspector.svelte).
 */
export { default as BindingPanel } from './BindingPanel.svelte';
export { default as ConsumerPanel } from './ConsumerPanel.svelte';
export { default as ExchangePanel } from './ExchangePanel.svelte';
export { default as ProducerPanel } from './ProducerPanel.svelte';
export { default as QueuePanel } from './QueuePanel.svelte';
export { default as QueueMessages } from '../explain/QueueMessages.svelte';
