import { seedNotebookFigureData } from './src/peft/sweeps/seed-notebook.js';
const d = seedNotebookFigureData();
console.log(JSON.stringify(d.compare.notebook.figures.map((f: any) => [f.figure, f.notebook_printed, f.formatted, f.value])));
console.log(JSON.stringify(d.compare.rows, null, 0));
console.log(JSON.stringify(d.loraByRank.points), JSON.stringify(d.adapterByBottleneck.points), d.adapterByBottleneck.built_once);
console.log(JSON.stringify(d.compare.notebook.invented));
