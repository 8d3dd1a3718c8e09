// A number typed on the phone, read and judged as the server reads and judges it, in the server's words
// (served in the day's data: layanan/offline.py::_number_checks). In order, as the online form:
// posyandu/forms.py (LocalDecimalField, AsciiIntegerField: digits 0–9, a number, no exponent), Django's
// DecimalValidator, the form's smallest and largest value, then the limits the visit service refuses
// outright for the person's life stage (services.value_limits; a birth weight: the database's range).
// The server checks again; this only says it at once instead of after the next sync. One table of typed
// strings holds the two together (tests/typed_numbers.py).
(function (root) {
  "use strict";
  const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/;
  const EXPONENT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/;
  const WHOLE = /^([+-]?)([0-9]+)(?:\.0*)?$/; // Django's IntegerField takes a trailing ".0"
  const otherDigit = (ch) => /\p{Nd}/u.test(ch) && !/[0-9]/.test(ch);

  // What the server's form makes of ``typed``: {text, number, whole, fraction, negative}, ``text`` as
  // Python's str() of the value ("+5" is "5", "007" is "7", a decimal keeps "-0" and "8.50"), or
  // {problem} naming the served message ("other_digits", "invalid", "exponent").
  function read(typed, decimal) {
    let text = String(typed).trim();
    if (decimal) text = text.replace(/ /g, "");
    if ([...text].some(otherDigit)) return { problem: "other_digits" };
    if (!decimal) {
      const match = text.match(WHOLE);
      if (!match) return { problem: "invalid" };
      const digits = match[2].replace(/^0+(?=[0-9])/, "");
      const sign = match[1] === "-" && digits !== "0" ? "-" : "";
      return { text: sign + digits, number: Number(sign + digits), whole: match[2], fraction: "", negative: sign === "-" };
    }
    if ((text.match(/,/g) || []).length === 1 && !text.includes(".")) text = text.replace(",", ".");
    const match = text.match(DECIMAL);
    if (!match || match[2] + (match[3] || "") === "") return { problem: EXPONENT.test(text) ? "exponent" : "invalid" };
    const [, sign, whole, fraction = ""] = match;
    const shown = (sign === "-" ? "-" : "") + (whole.replace(/^0+/, "") || "0") + (fraction ? "." + fraction : "");
    return { text: shown, number: Number(shown), whole, fraction, negative: sign === "-" };
  }

  // Django's DecimalValidator: the digits of the value as Python's Decimal counts them.
  function digitsProblem(value, checks) {
    const limits = checks.limits;
    if (!limits) return null;
    const coefficient = (value.whole + value.fraction).replace(/^0+/, "");
    const decimals = value.fraction.length;
    const digits = decimals ? Math.max(decimals, coefficient.length) : Math.max(coefficient.length, 1);
    if (digits > limits.max_digits) return checks.max_digits;
    if (decimals > limits.max_decimal_places) return checks.max_decimal_places;
    if (digits - decimals > limits.max_whole_digits) return checks.max_whole_digits;
    return null;
  }

  // The message the server gives for ``typed`` in a field with these ``checks`` (for a person of
  // ``stage``), or null when it takes the number.
  function problem(typed, checks, { decimal, stage }) {
    const value = read(typed, decimal);
    if (value.problem) return checks[value.problem] || checks.invalid;
    const digits = digitsProblem(value, checks);
    if (digits) return digits;
    const fill = (message) => message.replace(/%\(value\)s/g, value.text.replace(".", ","));
    const { max_value: max, min_value: min } = checks;
    if (max && value.number > Number(max.limit)) return fill(max.message);
    if (min && value.number < Number(min.limit)) return fill(min.message);
    const range = checks.ranges && checks.ranges[stage];
    if (range && (value.number < Number(range.low) || value.number > Number(range.high))) return fill(range.message);
    return null;
  }

  root.PosyanduNumbers = { read, problem };
})(self);
