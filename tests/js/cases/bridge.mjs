// What a case sees of the portal, the same in every host: `control(name, args)` is a direct
// call in Node and a Playwright-exposed function in the browser.
export function portalBridge(url, tokens, control) {
  return {
    url,
    tokens,
    fault: (...faults) => control("fault", faults),
    requests: () => control("requests", []),
    seedLogs: (...args) => control("seedLogs", args),
    useLegacyTriggers: (...args) => control("useLegacyTriggers", args),
    clearFaults: () => control("clearFaults", []),
  };
}
