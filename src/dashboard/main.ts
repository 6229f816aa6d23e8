/**
 * The dashboard's entry point, bundled by build.js into dist/dashboard/main.js: the styles
 * (uPlot's and ours, bundled into main.css) and the app.
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { startApp } from './app.js';

startApp();
