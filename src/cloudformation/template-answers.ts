// ValidateTemplate and GetTemplateSummary: what a template declares, before anything runs.
import type { GetTemplateSummaryOutput, ValidateTemplateOutput } from '../aws/generated/cloudformation.js';
import { iamCapability, type TemplateDocument } from './template-document.js';

const text = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v));

/** The capabilities CloudFormation reports for the template (IAM, and AUTO_EXPAND for transforms). */
function capabilities(doc: TemplateDocument): Pick<ValidateTemplateOutput, 'Capabilities' | 'CapabilitiesReason'> {
  const iam = iamCapability(doc);
  const list = [...(iam ? [iam.capability] : []), ...(doc.transforms.length ? ['CAPABILITY_AUTO_EXPAND' as const] : [])];
  const reason = iam?.reason ?? (doc.transforms.length ? 'The following resource(s) require capabilities: [AWS::CloudFormation::Macro]' : undefined);
  return { Capabilities: list, CapabilitiesReason: reason };
}

export function validateTemplateAnswer(doc: TemplateDocument): ValidateTemplateOutput {
  return {
    Parameters: [...doc.parameters].map(([key, p]) => ({ ParameterKey: key, DefaultValue: text(p.Default), NoEcho: String(p.NoEcho) === 'true', Description: text(p.Description) })),
    Description: doc.description,
    ...capabilities(doc),
    DeclaredTransforms: doc.transforms,
  };
}

export function templateSummaryAnswer(doc: TemplateDocument): GetTemplateSummaryOutput {
  return {
    Parameters: [...doc.parameters].map(([key, p]) => ({
      ParameterKey: key, DefaultValue: text(p.Default), ParameterType: text(p.Type), NoEcho: String(p.NoEcho) === 'true', Description: text(p.Description),
      ParameterConstraints: Array.isArray(p.AllowedValues) ? { AllowedValues: p.AllowedValues.map(String) } : {},
    })),
    Description: doc.description,
    ...capabilities(doc),
    ResourceTypes: [...new Set([...doc.resources.values()].map((r) => r.Type))],
    Version: '2010-09-09',
    DeclaredTransforms: doc.transforms,
  };
}
