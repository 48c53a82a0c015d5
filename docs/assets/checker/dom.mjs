// Building the page from untrusted text: el("p", {className: "x"}, "text", child, ...).
// Strings become text nodes (never HTML); null, undefined and false are skipped.
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}
