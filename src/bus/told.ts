/**
 * A text for the user with its code: the English `message` is the default (the log of a runtime without
 * the node locales, and what the tests compare the catalogs with); the nodes say `code` in the user's
 * language (twc-master.runtime.<code> of nodes/locales), filled with `values`. A value that is itself a
 * Told (a reason inside a sentence) is said in the same language.
 */
export interface Told {
  code: string;
  message: string;
  values: ToldValues;
}

export type ToldValues = Readonly<Record<string, string | number | Told>>;

/** `__name__` in `english` filled with the values' English; the message of a Told built in code. */
export function told(code: string, english: string, values: ToldValues = {}): Told {
  const message = english.replace(/__(\w+)__/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return typeof v === 'object' ? v.message : String(v);
  });
  return { code, message, values };
}
