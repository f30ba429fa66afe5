/**
 * The viewer page: paste or open a note, extract with the server or entirely in the browser, see the entities
 * and relations, download them as JSON or brat `.ann`.
 */
import type { Extraction, ModelCard } from '../../src/api/types.js';
import { extractionToAnn } from '../../src/server/ann.js';
import { BrowserEngine } from './browser-engine.js';
import { typeColors } from './colors.js';
import { downloadText } from './download.js';
import { drawArcs, renderLegend, renderText } from './render.js';
import { extractOnServer, fetchCard, fetchModelFiles } from './server-client.js';

type Mode = 'server' | 'browser';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

const ui = {
  modeButtons: [...document.querySelectorAll<HTMLButtonElement>('button[data-mode]')],
  banner: byId('mode-banner'),
  modelStatus: byId('model-status'),
  modelFiles: byId<HTMLInputElement>('model-files'),
  note: byId<HTMLTextAreaElement>('note'),
  noteFile: byId<HTMLInputElement>('note-file'),
  extract: byId<HTMLButtonElement>('extract'),
  status: byId('status'),
  result: byId('result'),
  legend: byId('legend'),
  textLayer: byId('text-layer'),
  arcLayer: document.getElementById('arc-layer') as unknown as SVGSVGElement,
  downloadJson: byId<HTMLButtonElement>('download-json'),
  downloadAnn: byId<HTMLButtonElement>('download-ann'),
  downloadTxt: byId<HTMLButtonElement>('download-txt'),
};

const state = {
  mode: 'server' as Mode,
  serverCard: null as ModelCard | null,
  engine: null as BrowserEngine | null,
  engineLoading: null as Promise<void> | null,
  noteName: 'note',
  /**
   * The note file as opened. A textarea turns CRLF line ends into LF, which would shift every offset after the
   * first line; while the user has not edited the note, the file's exact text is what gets analysed, so offsets
   * and downloads match the file on disk.
   */
  opened: null as { text: string; shown: string } | null,
  last: null as { text: string; extraction: Extraction } | null,
};

function setStatus(message: string, kind: 'info' | 'error' | 'busy' = 'info'): void {
  ui.status.textContent = message;
  ui.status.dataset.kind = kind;
}

function activeCard(): ModelCard | null {
  return state.mode === 'browser' ? (state.engine?.card ?? null) : state.serverCard;
}

function describeCard(card: ModelCard): string {
  return `${card.labels.entityTypes.length} entity types, ${card.labels.relationTypes.length} relation types, ` +
    `${card.parameters.toLocaleString('en')} parameters (medrex ${card.medrexVersion})`;
}

function showMode(): void {
  for (const b of ui.modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
  document.body.dataset.mode = state.mode;
  if (state.mode === 'server') {
    ui.banner.textContent = `Server mode: the note is sent to ${location.origin}/extract and analysed there.`;
    ui.modelStatus.textContent = state.serverCard ? `Server model: ${describeCard(state.serverCard)}` : 'No server model available.';
  } else {
    ui.banner.textContent = 'In-browser mode: the model runs in this page (WebAssembly); the note never leaves this machine.';
    const card = state.engine?.card;
    ui.modelStatus.textContent = card
      ? `In-browser model (${state.engine!.kernels}): ${describeCard(card)}`
      : 'In-browser model not loaded: it loads from the server, or open model.json and model.safetensors.';
  }
}

/** The in-browser engine worker (created on first use). */
function engine(): BrowserEngine {
  if (!crossOriginIsolated) {
    // The engine's WebAssembly memory is shared (SharedArrayBuffer), which browsers only allow in isolated pages.
    throw new Error(
      'this page is not cross-origin isolated (its server must send the COOP/COEP headers, as medrex serve does), ' +
        'so the WebAssembly engine cannot run here',
    );
  }
  state.engine ??= new BrowserEngine(new URL('engine-worker.js', document.baseURI));
  return state.engine;
}

/** Loads the in-browser model from the server's model files (once). */
function loadEngineFromServer(): Promise<void> {
  state.engineLoading ??= (async () => {
    const worker = engine(); // fails first when the page cannot run the engine: no point fetching the weights
    setStatus('Loading the model into the browser…', 'busy');
    const files = await fetchModelFiles();
    await worker.load(files.cardText, files.weights);
    setStatus(`Model loaded in the browser (${(files.weights.byteLength / 1024).toFixed(0)} KiB of weights).`);
  })();
  state.engineLoading.catch(() => (state.engineLoading = null));
  return state.engineLoading;
}

async function setMode(mode: Mode): Promise<void> {
  state.mode = mode;
  showMode();
  if (mode === 'browser' && !state.engine?.card) {
    try {
      await loadEngineFromServer();
    } catch (err) {
      setStatus(`In-browser model not loaded: ${(err as Error).message}. Open model.json and model.safetensors instead.`, 'error');
    }
    showMode();
  }
}

async function loadModelFiles(files: FileList): Promise<void> {
  const list = [...files];
  const card = list.find((f) => f.name.endsWith('.json'));
  const weights = list.find((f) => f.name.endsWith('.safetensors'));
  if (!card || !weights) {
    setStatus('Choose both files of a model directory: model.json and model.safetensors.', 'error');
    return;
  }
  try {
    setStatus('Loading the model into the browser…', 'busy');
    await engine().load(await card.text(), await weights.arrayBuffer(), { card: card.name, weights: weights.name });
    state.engineLoading = Promise.resolve();
    state.mode = 'browser';
    setStatus(`Model loaded in the browser from ${card.name} and ${weights.name}.`);
  } catch (err) {
    setStatus(`Cannot load the model: ${(err as Error).message}`, 'error');
  }
  showMode();
}

function render(text: string, extraction: Extraction): void {
  const card = activeCard();
  const types = card?.labels.entityTypes ?? [];
  const colors = typeColors([...types, ...extraction.entities.map((e) => e.type)]);
  ui.result.hidden = false;
  renderLegend(ui.legend, types, extraction, colors);
  renderText(ui.textLayer, text, extraction, colors);
  drawArcs(ui.arcLayer, ui.textLayer, extraction);
}

/** The text to analyse: the opened file's exact text while the textarea still shows it unedited. */
function noteText(): string {
  return state.opened && ui.note.value === state.opened.shown ? state.opened.text : ui.note.value;
}

async function extract(): Promise<void> {
  const text = noteText();
  if (text.trim() === '') {
    setStatus('Paste or open a note first.', 'error');
    return;
  }
  ui.extract.disabled = true;
  const mode = state.mode;
  setStatus(mode === 'server' ? 'Extracting on the server…' : 'Extracting in the browser…', 'busy');
  const started = performance.now();
  try {
    let extraction: Extraction;
    if (mode === 'server') {
      extraction = await extractOnServer(text);
    } else {
      await loadEngineFromServer();
      extraction = (await engine().extract(text)).extraction;
    }
    state.last = { text, extraction };
    render(text, extraction);
    const where = mode === 'server' ? 'on the server' : 'in the browser';
    setStatus(
      `${extraction.entities.length} entities, ${extraction.relations.length} relations, ` +
        `found ${where} in ${Math.round(performance.now() - started)} ms.`,
    );
  } catch (err) {
    setStatus(`Extraction failed: ${(err as Error).message}`, 'error');
  } finally {
    ui.extract.disabled = false;
  }
}

ui.modeButtons.forEach((b) => b.addEventListener('click', () => void setMode(b.dataset.mode as Mode)));
ui.extract.addEventListener('click', () => void extract());
ui.note.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void extract();
});
ui.noteFile.addEventListener('change', async () => {
  const file = ui.noteFile.files?.[0];
  if (!file) return;
  const text = await file.text();
  ui.note.value = text;
  state.opened = { text, shown: ui.note.value };
  state.noteName = file.name.replace(/\.[^.]*$/, '') || 'note';
  setStatus(`Opened ${file.name}.`);
});
ui.modelFiles.addEventListener('change', () => {
  if (ui.modelFiles.files) void loadModelFiles(ui.modelFiles.files);
});
ui.downloadJson.addEventListener('click', () => {
  if (!state.last) return;
  const body = { text: state.last.text, ...state.last.extraction };
  downloadText(`${state.noteName}.json`, `${JSON.stringify(body, null, 2)}\n`, 'application/json');
});
ui.downloadAnn.addEventListener('click', () => {
  if (!state.last) return;
  downloadText(`${state.noteName}.ann`, extractionToAnn(state.last.text, state.last.extraction), 'text/plain');
});
ui.downloadTxt.addEventListener('click', () => {
  // The exact text the offsets refer to (brat needs the .txt beside the .ann).
  if (state.last) downloadText(`${state.noteName}.txt`, state.last.text, 'text/plain');
});
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => state.last && drawArcs(ui.arcLayer, ui.textLayer, state.last.extraction), 100);
});

// Start in the mode asked for in the URL (?mode=browser), else server mode when a server answers.
const requested = new URLSearchParams(location.search).get('mode');
fetchCard().then(
  (card) => {
    state.serverCard = card;
    void setMode(requested === 'browser' ? 'browser' : 'server');
  },
  () => {
    // Opened as static files without a medrex server: only the in-browser mode with opened files can work.
    state.mode = 'browser';
    showMode();
    setStatus('No medrex server answered: open model.json and model.safetensors to run the model in the browser.');
  },
);
showMode();
