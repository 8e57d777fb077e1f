// Thai words as the reader's browser splits them, for the search index (workflow/edges/site/search.py).
//
// One JSON string (a page's searchable text) a line on stdin; one JSON string a line on stdout: "¶", then
// the text's words as Intl.Segmenter splits them (the browser splits the query with the same ICU), then
// every tail of each long Thai word ("ปีงบประมาณ" → "งบประมาณ", "ประมาณ", …) so a word that stands only
// inside a compound is found too. Pagefind (ICU4X) indexes these as they are spaced; the search page cuts
// the page's text at the last "¶" before it reads it.
import readline from "node:readline";

const words = new Intl.Segmenter("th", { granularity: "word" });
const graphemes = new Intl.Segmenter("th", { granularity: "grapheme" });
const THAI = /[\u0e00-\u0e7f]/;
const LONG = 6; // UTF-16 units: shorter Thai words hold no other word worth finding
const TAIL = 3;

function terms(text) {
  const found = [];
  const tails = new Set();
  for (const { segment, isWordLike } of words.segment(text)) {
    if (!isWordLike) continue;
    found.push(segment);
    if (segment.length >= LONG && THAI.test(segment)) {
      for (const { index } of graphemes.segment(segment)) {
        const tail = segment.slice(index);
        if (index > 0 && tail.length >= TAIL) tails.add(tail);
      }
    }
  }
  return "¶ " + found.join(" ") + " " + [...tails].join(" ");
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  process.stdout.write(JSON.stringify(terms(JSON.parse(line))) + "\n");
});
