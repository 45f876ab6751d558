import { benchHeap } from './heap.js';
import { printRows } from './measure.js';
printRows('heap', await benchHeap());
