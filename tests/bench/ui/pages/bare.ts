/** Page B: a bare Svelte Flow page with the same nodes (default nodes) and edges, and `dots` moving circles. */
import { mount } from 'svelte';
import { benchDiagram } from '../graph';
import BarePage from './BarePage.svelte';
import { appTarget, pageParams } from './params';

const { nodes, dots, seed } = pageParams();
mount(BarePage, { target: appTarget(), props: { diagram: benchDiagram({ nodes, ...(seed === undefined ? {} : { seed }) }), dots } });
