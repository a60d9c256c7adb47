// A route's hooks of one kind as a list, however its options gave them (none, one, or several), for plugins
// that add their hooks only to the routes that need them.

export function hookList<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}
