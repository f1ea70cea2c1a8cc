import { mount } from 'svelte';
import App from './App.svelte';
import './styles/app.css';

// for the UI bench (test/bench/ui.ts): when the main script started running
performance.mark('ainl:main');

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
mount(App, { target });
