// Adds a "Spiff" group to the bpmn-js properties panel.
import { Group } from '@bpmn-io/properties-panel';
import { ServiceTaskProps } from './ServiceTaskProps.js';
import { FormProps } from './FormProps.js';
import { ContextProps } from './ContextProps.js';
import { DocumentationProps, InstructionsProps, ScriptProps } from './TextProps.js';
import { TimerProps } from './TimerProps.js';
import { MessageProps } from './MessageProps.js';

const LOW_PRIORITY = 500;

export default function SpiffPropertiesProvider(propertiesPanel, config) {
  this._options = { operations: [], forms: [], ...(config || {}) };
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
}

SpiffPropertiesProvider.$inject = ['propertiesPanel', 'config.rcpSpiff'];

SpiffPropertiesProvider.prototype.getGroups = function(element) {
  const { operations, forms } = this._options;
  return (groups) => {
    const entries = [
      ...ServiceTaskProps({ element, operations }),
      ...FormProps({ element, forms }),
      ...ContextProps({ element }),
      ...InstructionsProps({ element }),
      ...TimerProps({ element }),
      ...MessageProps({ element }),
      ...ScriptProps({ element }),
      ...DocumentationProps({ element })
    ];
    const group = { id: 'spiff', label: 'Spiff', entries, component: Group };
    const general = groups.findIndex((g) => g.id === 'general');
    groups.splice(general >= 0 ? general + 1 : 0, 0, group);
    return groups;
  };
};

/** Update operations/forms at run time (e.g. after fetching the catalogue). */
SpiffPropertiesProvider.prototype.setOptions = function(options) {
  Object.assign(this._options, options);
};
