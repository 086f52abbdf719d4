// ValidateTemplate, GetTemplateSummary and GetTemplate: what a template declares, before anything runs.
import type { GetTemplateOutput, GetTemplateSummaryOutput, ValidateTemplateOutput } from '../aws/generated/cloudformation.js';
import { awsError } from '../core/errors.js';
import { iamCapability, parseDocument, type TemplateDocument } from './template-document.js';

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

/**
 * GetTemplate's answer. Without a Transform CloudFormation's Processed template is the Original; with one it is the
 * expanded template, which Stagecraft doesn't make (the engine reads SAM itself): only Original is offered then.
 */
export function getTemplateAnswer(templateBody: string, stage: 'Original' | 'Processed' | undefined): GetTemplateOutput {
  const transformed = (() => {
    try {
      return parseDocument(templateBody).transforms.length > 0;
    } catch {
      return false;
    }
  })();
  if (stage === 'Processed' && transformed) {
    throw awsError('ValidationError', 'Stagecraft does not keep the processed template of a template with a Transform; ask for TemplateStage Original');
  }
  return { TemplateBody: templateBody, StagesAvailable: transformed ? ['Original'] : ['Original', 'Processed'] };
}
