// ES module types: the same declarations as the CommonJS entry, plus the default export.
import * as api from './index.js';
export * from './index.js';
export default api;
