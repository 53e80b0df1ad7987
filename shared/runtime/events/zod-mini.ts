import * as z from "zod/mini";
import english from "zod/v4/locales/en.js";

/**
 * zod's functional build (`zod/mini`), for every schema the consumer loads (at its first record,
 * not at cold start): the event, the BambooHR signal and employee bodies. The classic build costs a cold start about three times
 * as much to load and builds schemas slower, and a bundle holding one classic import holds
 * both builds. Unlike the classic build, it sets no language for its messages, which are a
 * contract (producers read them in validation problems): English is set here, before any
 * schema that takes zod from this module can parse.
 */
z.config(english());

export * from "zod/mini";
