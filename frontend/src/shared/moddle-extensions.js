// Moddle extensions used by every bundle (viewer, modeler, diff).
import spiffworkflow from '../../moddle/spiffworkflow.json';

export const moddleExtensions = { spiffworkflow };
