/** Page A: the real Playground (as App.svelte mounts it) opened on the generated diagram. */
import { mount } from 'svelte';
import '../../../../src/ui/theme.css';
import { benchDiagram } from '../graph';
import PlaygroundPage from './PlaygroundPage.svelte';
import { appTarget, pageParams } from './params';

const { nodes, seed } = pageParams();
mount(PlaygroundPage, { target: appTarget(), props: { diagram: benchDiagram({ nodes, ...(seed === undefined ? {} : { seed }) }) } });
