// Material draws ```mermaid blocks with window.mermaid and fetches mermaid from a CDN when it is
// undefined. This stand-in defines it first and imports the copy the site serves
// (assets/mermaid/, see overrides/hooks/mermaid_assets.py) on the first diagram only, so pages
// without a diagram load nothing more.
(() => {
  if (typeof window.mermaid === "object" && !(window.mermaid instanceof Element)) return;
  const entry = new URL("../assets/mermaid/mermaid.esm.min.mjs", document.currentScript.src).href;

  // Material themes flowcharts through CSS variables; give gantt charts (the timeline) the same
  // treatment so they read well in both colour schemes.
  const ganttCSS = `
    .titleText, .sectionTitle, .grid .tick text, .taskTextOutsideRight, .taskTextOutsideLeft,
    [class*="taskTextOutside"] { fill: var(--md-default-fg-color) !important; }
    .grid .tick { stroke: var(--md-default-fg-color--lightest); }
    .section0, .section2 { fill: var(--md-default-fg-color--lightest); opacity: 0.6; }
    .section1, .section3 { fill: transparent; }
    .task0, .task1, .task2, .task3, .active0, .active1, .active2, .active3 {
      fill: var(--md-mermaid-node-bg-color); stroke: var(--md-mermaid-node-fg-color); }
    .crit0, .crit1, .crit2, .crit3, .activeCrit0, .activeCrit1, .activeCrit2, .activeCrit3 {
      fill: var(--md-default-bg-color); stroke: #e53935; }
    .taskText0, .taskText1, .taskText2, .taskText3, [class*="activeText"], [class*="critText"] {
      fill: var(--md-default-fg-color) !important; }
    .milestoneText { fill: var(--md-default-fg-color) !important; }
  `;

  let config = {};
  let module;
  const load = () => (module ??= import(entry).then(({ default: mermaid }) => {
    mermaid.initialize(config);
    return mermaid;
  }));

  window.mermaid = {
    initialize(options) {
      config = { ...options, themeCSS: (options.themeCSS || "") + ganttCSS };
    },
    render: (id, text) => load().then((mermaid) => mermaid.render(id, text)),
  };
})();
