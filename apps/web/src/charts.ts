import { Chart, registerables } from 'chart.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.maintainAspectRatio = false;

export const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#f97316', '#64748b'];

/** A chart in a titled box; the data passed in is the API's, only scaled for the axis. */
export const chart = (host: HTMLElement, title: string, config: ConstructorParameters<typeof Chart>[1], id?: string) => {
  const box = document.createElement('div');
  box.className = 'chart';
  if (id) box.dataset.chart = id;
  box.innerHTML = `<h3></h3><div class="canvas"><canvas></canvas></div>`;
  box.querySelector('h3')!.textContent = title;
  host.append(box);
  return new Chart(box.querySelector('canvas')!, config);
};
