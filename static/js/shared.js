// The shared page (read-only, no login): code highlighted and math drawn as
// on the conversation page, nothing else.

import { enrich } from "./chat/rich.js";

for (const body of document.querySelectorAll(".shared-message .rich")) enrich(body);
