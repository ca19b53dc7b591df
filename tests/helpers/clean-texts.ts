/** Shared by clean-stage tests: run clean() on an HTML string and list the block texts. */
import { defaultConfig } from '../../src/config/schema.js';
import { clean } from '../../src/stages/clean/index.js';
import { loadCleanRules } from '../../src/stages/clean/rules.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;

export const cleanTexts = (html: string): string[] =>
  clean({ source: 't.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' }, { rules, config }).blocks.map((b) => b.text);

/** Three paragraphs of an invented local story, as <p> elements. */
export const STORY_BODY = [
  'Volunteers in the village of Ashford spent eleven weekends this summer rebuilding the stone wall that runs along the old mill pond.',
  'The wall, which dates from the 1840s, had partly collapsed into the water after a storm two winters ago, and the footpath was closed.',
  'Retired mason Peter Lowe, who led the work, said the group reused almost every original stone, fitting them back by hand.',
]
  .map((p) => `<p>${p}</p>`)
  .join('');
